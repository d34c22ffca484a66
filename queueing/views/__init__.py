"""Queue pages: the public kiosk and hall display, and the clerk's desk."""
