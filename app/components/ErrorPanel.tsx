import { Button, Center, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";

const TITLES: Record<number, string> = {
  401: "Please log in",
  403: "Not allowed",
  404: "Not found",
  500: "Something went wrong",
};

export function ErrorPanel({ status, message }: { status: number; message: string }) {
  return (
    <Center mih="60vh" p="md">
      <Paper withBorder p="xl" maw={520} w="100%">
        <Stack gap="sm">
          <Text c="dimmed" size="sm">
            Error {status}
          </Text>
          <Title order={2}>{TITLES[status] ?? "Error"}</Title>
          <Text>{message}</Text>
          <Button component={Link} to="/" variant="light" w="fit-content">
            Back to the dashboard
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
