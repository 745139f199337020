"""词云: segmentation, word counts, rising terms, keyword in context, the cloud image, the page's view and charts."""
