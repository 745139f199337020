"""项目进度: latest completion, trajectories, investment pairs, the page's view and charts."""
