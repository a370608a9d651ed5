/** The visit instructions a new practice starts from, in the Markdown subset of shared/markdown.ts; practices edit them. */

export const INSTRUCTIONS_TEMPLATE: { fr: string; en: string } = {
  fr: `Pour que chacun soit reçu dans de bonnes conditions, merci de respecter ces quelques consignes :

- **Arrivez à l'heure, pas en avance** : la salle d'attente est petite et nous limitons le nombre de personnes présentes.
- **Portez un masque** dans la salle d'attente.
- **Vous avez de la fièvre, une toux ou des difficultés à respirer ?** Ne venez pas : appelez-nous, nous vous dirons comment être pris en charge.
- **Venez seul**, sauf si vous avez besoin d'être accompagné (enfant, personne âgée ou en situation de handicap).
- Désinfectez-vous les mains avec le **gel hydroalcoolique** mis à disposition à l'entrée.
- Une **téléconsultation** est possible sur demande : précisez-le quand vous prenez rendez-vous.

Pensez à apporter :

1. votre **carte Vitale** (et votre attestation de mutuelle) ;
2. vos **ordonnances** en cours et vos derniers résultats d'examens.

En cas d'urgence vitale, appelez le **15** ou le **112**.`,
  en: `So that everyone can be seen in good conditions, please follow these few guidelines:

- **Arrive on time, not early**: the waiting room is small and we limit the number of people in it.
- **Wear a mask** in the waiting room.
- **Do you have a fever, a cough or trouble breathing?** Please don't come in: call us and we will tell you how you can be seen.
- **Come alone**, unless you need someone with you (a child, an elderly or disabled person).
- Clean your hands with the **hand sanitiser gel** provided at the entrance.
- A **video consultation** (teleconsultation) is possible on request: just ask when you book.

Please bring:

1. your **carte Vitale** (French health insurance card) and your top-up insurance certificate, if you have one;
2. your current **prescriptions** and your latest test results.

In a life-threatening emergency, call **15** or **112**.`,
};
