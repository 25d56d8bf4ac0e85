import { en } from '@/lib/i18n/messages/en';
import { createTranslator } from '@/lib/i18n/translate';
import { createAuthSchemas } from './schema';

/** The auth schemas with English messages: for the users service, the console script and tests. */
export const { signInSchema, addUserSchema, changeRoleSchema, setDisabledSchema, resetPasswordSchema } =
  createAuthSchemas(createTranslator('en', en));
