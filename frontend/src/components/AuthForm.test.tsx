import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { loadSession, saveSession } from "@/lib/session";
import { fakeBackend, jsonResponse, unreachableBackend } from "../../test/fakeBackend";
import { router } from "../../test/router";
import { AuthForm } from "./AuthForm";

const ada = { id: 1, email: "ada@example.com" };

async function submit(buttonName: string, email = "ada@example.com", password = "correct horse") {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: buttonName }));
}

describe("signing up", () => {
  it("creates the account, keeps the session and opens the task list", async () => {
    const { requests } = fakeBackend({
      "POST /api/auth/signup": () => jsonResponse(201, { access_token: "jwt-new", token_type: "bearer", user: ada }),
    });
    render(<AuthForm mode="signup" />);

    await submit("Sign up");

    expect(requests[0].body).toEqual({ email: "ada@example.com", password: "correct horse" });
    expect(loadSession()).toEqual({ token: "jwt-new", user: ada });
    expect(router.replace).toHaveBeenCalledWith("/");
  });

  it("says why when the email is already taken, and stays on the form", async () => {
    fakeBackend({ "POST /api/auth/signup": () => jsonResponse(409, { detail: "Email is already registered" }) });
    render(<AuthForm mode="signup" />);

    await submit("Sign up");

    expect(await screen.findByTestId("auth-error")).toHaveTextContent("Email is already registered");
    expect(screen.getByRole("button", { name: "Sign up" })).toBeEnabled();
    expect(loadSession()).toBeNull();
  });
});

describe("logging in", () => {
  it("uses the login endpoint and opens the task list", async () => {
    const { requests } = fakeBackend({
      "POST /api/auth/login": () => jsonResponse(200, { access_token: "jwt-old", token_type: "bearer", user: ada }),
    });
    render(<AuthForm mode="login" />);

    await submit("Log in");

    expect(requests[0].url).toBe("/api/auth/login");
    expect(loadSession()?.token).toBe("jwt-old");
    expect(router.replace).toHaveBeenCalledWith("/");
  });

  it("shows the server's answer to wrong credentials", async () => {
    fakeBackend({ "POST /api/auth/login": () => jsonResponse(401, { detail: "Incorrect email or password" }) });
    render(<AuthForm mode="login" />);

    await submit("Log in");

    expect(await screen.findByRole("alert")).toHaveTextContent("Incorrect email or password");
  });

  it("says the server can't be reached when the backend is down", async () => {
    unreachableBackend();
    render(<AuthForm mode="login" />);

    await submit("Log in");

    expect(await screen.findByRole("alert")).toHaveTextContent(/can't reach the server/i);
  });

  it("sends someone who is already signed in straight to their tasks", () => {
    saveSession({ token: "jwt", user: ada });

    render(<AuthForm mode="login" />);

    expect(router.replace).toHaveBeenCalledWith("/");
  });

  it("links to the other form", () => {
    render(<AuthForm mode="login" />);

    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/signup");
  });
});
