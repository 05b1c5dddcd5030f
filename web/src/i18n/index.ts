import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en as messagesEn } from '../../../src/i18n/en.ts';
import { addFormatters } from '../../../src/i18n/formatters.ts';
import { fr as messagesFr } from '../../../src/i18n/fr.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

const STORAGE_KEY = 'relance.language';
const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);

// French by default; the choice is kept in the browser. The `messages` namespace is the catalogue the
// server, the CLI and the documents share (codes of errors, enumerations, import reasons, field labels).
void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr, messages: messagesFr }, en: { translation: en, messages: messagesEn } },
  lng: stored === 'en' ? 'en' : 'fr',
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
});

// `{{date, isodate}}` and `{{amount, money}}` in catalogue texts: as the reader writes dates and money.
addFormatters(i18n);

export function setLanguage(language: string): void {
  localStorage.setItem(STORAGE_KEY, language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

document.documentElement.lang = i18n.language;
export default i18n;
