"""The interactive page: `render` (the entry point), what it shows (`data`, `query`), where
(`layout`), how (`style`, `words`), and the HTML (`template`)."""
