-- Run once by the postgres image when compose.yaml creates the database server: the key store
-- lives in a database of its own, backed up with a shorter retention than the data.
CREATE DATABASE softlanding_keys;
