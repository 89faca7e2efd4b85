package postgres

// OpenAt opens a store migrated to an older schema version, for tests of
// upgrades.
var OpenAt = open
