"""Configuration that administrators own: jurisdictions, departments, staff
postings, stages (一件事), their matters (事项), form fields, certificate types
and the working-day calendar. Depends only on `portal`."""
