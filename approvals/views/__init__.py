"""Pages: applicant (一网申报), back-office (window and departments), private
file downloads and the public certificate verification page."""
