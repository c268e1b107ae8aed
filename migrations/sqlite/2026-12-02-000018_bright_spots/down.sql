DROP TABLE bright_spot_reviews;
DROP TABLE bright_spots;
