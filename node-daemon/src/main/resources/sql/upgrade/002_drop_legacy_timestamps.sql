DROP FUNCTION IF EXISTS {legacy_function}()
