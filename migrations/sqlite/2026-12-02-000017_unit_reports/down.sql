DROP TABLE unit_reports;
DROP TABLE report_due_overrides;
DROP TABLE report_due_dates;
DROP TABLE attachments;
