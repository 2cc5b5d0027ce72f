"""Facts about the world the reports describe, as data: regions and indicators."""
