DROP TABLE uploads;
DROP TABLE evidence;
DROP TABLE blobs;
