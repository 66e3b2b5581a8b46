DROP TABLE allocations;
DROP TABLE allocation_caps;
DROP TABLE travel_costs;
