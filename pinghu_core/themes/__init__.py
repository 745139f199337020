"""政策主题: the theme dictionary and tagging, slogans, the timeline, the page's view and charts."""
