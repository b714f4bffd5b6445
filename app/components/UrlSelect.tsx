// A filter of a URL-driven list as a plain select: choosing a value navigates (back to page 1),
// so the URL stays the whole state of the view. The server parses it with the /v1 grammar and
// sends back an error for a hand-edited value, shown here.
import { Select } from "@mantine/core";
import { useNavigate, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useHrefWith } from "./url-state";

export function UrlSelect({
  name,
  label,
  data,
  placeholder,
  error,
  width = 200,
}: {
  name: string;
  label: string;
  data: Array<string | { value: string; label: string }>;
  placeholder?: string;
  error?: string;
  width?: number;
}) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const value = params.get(name);
  const known = data.some((item) => (typeof item === "string" ? item : item.value) === value);
  return (
    <Select
      label={label}
      data={value && !known ? [...data, value] : data}
      value={value}
      placeholder={placeholder ?? t("common.all")}
      clearable
      searchable
      error={error}
      onChange={(next) => navigate(hrefWith({ [name]: next, page: null }), { preventScrollReset: true })}
      w={{ base: "100%", xs: width }}
      size="sm"
    />
  );
}
