// The widget's "needs a doctor tonight" reading of a reason: a fever in a young child, a pain getting worse.
import { describe, expect, it } from 'vitest';
import { needsDoctorTonight } from '../../shared/after-hours.js';

describe('needsDoctorTonight', () => {
  it.each([
    'Mon bébé de 8 mois a 39,5 de fièvre',
    'ma fille a de la fievre depuis ce matin',
    'Enfant de 3 ans, température à 40°',
    'Nourrisson fiévreux qui ne mange plus',
    'My son has had a fever since lunchtime',
    'toddler with a high temperature',
    'La douleur au ventre augmente depuis cet après-midi',
    'j’ai de plus en plus mal au dos',
    'Mal de dents insupportable',
    'the pain in my ear is getting worse',
  ])('reads "%s" as needing a doctor tonight', (reason) => {
    expect(needsDoctorTonight(reason)).toBe(true);
  });

  it.each([
    'Renouvellement d’ordonnance',
    'J’ai de la fièvre depuis hier',
    'Certificat de sport pour mon fils',
    'Douleur au genou depuis une semaine',
    'Résultats de prise de sang',
    'A sick note for my daughter’s school',
    'Kidney test results',
  ])('leaves "%s" to the reopening', (reason) => {
    expect(needsDoctorTonight(reason)).toBe(false);
  });
});
