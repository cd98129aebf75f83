import * as z from 'zod';
import { en } from 'zod/locales';

/**
 * Zod's English issue messages. Zod's full entry sets them as an import side effect, which a
 * tree-shaken bundle (`import * as z`) drops, leaving every message "Invalid input". The messages
 * reach clients (`bad_message` errors) and logs, so every protocol module that builds schemas
 * imports this one.
 */
z.config(en());
