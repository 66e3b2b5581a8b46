DROP TABLE app_meta;
DROP TABLE login_throttle;
DROP TABLE users;
DROP TABLE hubs;
DROP TABLE organisations;
