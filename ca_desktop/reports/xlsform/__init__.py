"""XLSForm (the spreadsheet form format of ODK and KoboToolbox) in and out, and ODK/Kobo
CSV submissions in. See the XLSForm section of `docs/forms.md`."""
