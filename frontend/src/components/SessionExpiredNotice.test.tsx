import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SessionExpiredNotice } from "./SessionExpiredNotice";

describe("SessionExpiredNotice", () => {
  afterEach(() => window.history.replaceState(null, "", "/"));

  it("explains a redirect caused by an expired session", () => {
    window.history.replaceState(null, "", "/login?expired=1");
    render(<SessionExpiredNotice />);

    expect(screen.getByTestId("session-expired")).toHaveTextContent("Your session has expired");
  });

  it("stays out of the way on an ordinary visit", () => {
    window.history.replaceState(null, "", "/login");
    render(<SessionExpiredNotice />);

    expect(screen.queryByTestId("session-expired")).not.toBeInTheDocument();
  });
});
