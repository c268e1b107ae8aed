DROP TABLE report_recommendations;
DROP TABLE report_conclusions;
