DROP TABLE asset_list_entries;
