DROP TABLE fault_reports;
