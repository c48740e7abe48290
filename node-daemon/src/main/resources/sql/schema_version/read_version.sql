SELECT "version" FROM {version_table}
