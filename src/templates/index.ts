/** The templates layer in one import for the documents and mail adapters. */
export { defaultTemplate } from './defaults.ts';
export {
  LIMITS,
  moneyValue,
  parseTemplate,
  renderTemplate,
  TemplateRenderError,
  TemplateSyntaxError,
} from './engine.ts';
export {
  isTemplateKey,
  TEMPLATE_FIELDS,
  TEMPLATE_KEYS,
  TEMPLATE_LANGUAGES,
  TEMPLATE_TITLES,
  templateKeyForStep,
  type MessageTemplate,
  type TemplateField,
  type TemplateKey,
} from './keys.ts';
export { renderField, renderMessage, type RenderedMessage } from './render.ts';
export { templateScope } from './scope.ts';
export { FILTERS, VARIABLES, type TemplateVariable } from './variables.ts';
export {
  getTemplate,
  listTemplates,
  loadTemplates,
  resetTemplate,
  saveTemplate,
  type StoredTemplate,
} from './stored.ts';
