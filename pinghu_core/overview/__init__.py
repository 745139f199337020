"""总览: corpus summary, calendar and coverage, the 关于 table, its charts."""
