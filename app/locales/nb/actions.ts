import type { actions as en } from "../en/actions";
import type { Messages } from "../types";

export const actions: Messages<typeof en> = {
  notDone: "Ikke utført",
  titleNotDone: "{{title}}: ikke utført",
  reasonNote: "Lagres i revisjonsloggen med navnet ditt.",
  enable: "Slå på",
  disable: "Slå av",
  shownOnce: "Vises bare denne ene gangen",
  haveCopied: "Jeg har kopiert den",
  bulk: {
    reasonDescription: "Én begrunnelse for hver {{what}}; den lagres i revisjonsloggen med navnet ditt.",
    preview: "Forhåndsvis",
    back: "Tilbake",
    previewAgain: "Forhåndsvis igjen",
  },
};
