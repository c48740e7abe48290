{column} = NEW.{column}
