DROP TABLE class_set_loans;
DROP TABLE class_sets;
