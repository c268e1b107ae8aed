DROP TABLE remedies;
