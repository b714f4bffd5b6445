// The colour-scheme choice (the system's, light, dark): a menu behind one button in the staff
// header, and a segmented control on /me. Either switches the page at once and posts the choice
// to /color-scheme, which keeps it (cookie, and the staff user's account).
import { ActionIcon, Menu, SegmentedControl, useMantineColorScheme } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSavedChoice } from "./use-saved-choice";
import { COLOR_SCHEMES, isColorSchemeChoice, type ColorSchemeChoice } from "../domain/color-scheme";

function useColorSchemeChoice(): [ColorSchemeChoice, (choice: ColorSchemeChoice) => void] {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const { submit } = useSavedChoice({ method: "post", action: "/color-scheme" });
  const choose = (choice: ColorSchemeChoice) => {
    setColorScheme(choice);
    submit({ colorScheme: choice });
  };
  return [colorScheme, choose];
}

/** Keeps Mantine's scheme on the one the server rendered (it changes on logging in, or in another tab). */
export function ColorSchemeSync({ choice }: { choice: ColorSchemeChoice }) {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  useEffect(() => {
    if (colorScheme !== choice) setColorScheme(choice);
  }, [choice]); // eslint-disable-line react-hooks/exhaustive-deps
  return null;
}

function SchemeIcon({ choice }: { choice: ColorSchemeChoice }) {
  // Sun, moon, or half a disc for "as the system".
  const path =
    choice === "light"
      ? "M12 4V2M12 22v-2M4 12H2M22 12h-2M5.6 5.6 4.2 4.2M19.8 19.8l-1.4-1.4M5.6 18.4l-1.4 1.4M19.8 4.2l-1.4 1.4M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z"
      : choice === "dark"
        ? "M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8Z"
        : "M12 3a9 9 0 1 0 0 18V3Zm0 0a9 9 0 1 1 0 18";
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d={path} />
    </svg>
  );
}

/** The header's button: opens a menu of the three choices, the current one checked. */
export function ColorSchemeMenu() {
  const [current, choose] = useColorSchemeChoice();
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t("common.colorScheme.current", { scheme: t(`common.colorScheme.${current}`) })}
          data-testid="color-scheme-menu"
        >
          <SchemeIcon choice={current} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t("common.colorScheme.label")}</Menu.Label>
        {COLOR_SCHEMES.map((choice) => (
          <Menu.Item
            key={choice}
            role="menuitemradio"
            aria-checked={choice === current}
            leftSection={<SchemeIcon choice={choice} />}
            onClick={() => choose(choice)}
            fw={choice === current ? 700 : undefined}
          >
            {t(`common.colorScheme.${choice}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The same choice as three segments, for the account page. */
export function ColorSchemeControl() {
  const [current, choose] = useColorSchemeChoice();
  const { t } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t("common.colorScheme.label")}
      value={current}
      onChange={(value) => isColorSchemeChoice(value) && choose(value)}
      data={COLOR_SCHEMES.map((choice) => ({ value: choice, label: t(`common.colorScheme.${choice}`) }))}
    />
  );
}
