import { describe, expect, it } from "vitest";
import { makeTask } from "../../test/fakeBackend";
import { applyTaskEvent, matchesFilter, sortTasks, withTask, withoutTask } from "./taskList";

const pending = makeTask({ id: 1, title: "Write report" });
const done = makeTask({ id: 2, title: "Book flights", completed: true });

describe("matchesFilter", () => {
  it("shows everything under 'all', open tasks under 'pending' and finished ones under 'completed'", () => {
    expect([pending, done].filter((task) => matchesFilter(task, "all"))).toEqual([pending, done]);
    expect([pending, done].filter((task) => matchesFilter(task, "pending"))).toEqual([pending]);
    expect([pending, done].filter((task) => matchesFilter(task, "completed"))).toEqual([done]);
  });
});

describe("the task list", () => {
  it("is ordered oldest first", () => {
    expect(sortTasks([done, pending])).toEqual([pending, done]);
  });

  it("gains a new task in its place", () => {
    const newest = makeTask({ id: 3 });
    expect(withTask([pending, done], newest, "all")).toEqual([pending, done, newest]);
  });

  it("replaces a task that changed", () => {
    const renamed = { ...pending, title: "Write the report" };
    expect(withTask([pending, done], renamed, "all")).toEqual([renamed, done]);
  });

  it("drops a task that no longer belongs under the filter", () => {
    const completed = { ...pending, completed: true };
    expect(withTask([pending], completed, "pending")).toEqual([]);
  });

  it("does not duplicate a change that arrives twice (API response, then WebSocket)", () => {
    const once = withTask([pending], done, "all");
    expect(withTask(once, done, "all")).toEqual([pending, done]);
  });

  it("loses a deleted task", () => {
    expect(withoutTask([pending, done], pending.id)).toEqual([done]);
  });
});

describe("applyTaskEvent", () => {
  it("adds a created task only where the filter shows it", () => {
    const created = makeTask({ id: 4 });
    expect(applyTaskEvent([], { type: "task.created", task: created }, "pending")).toEqual([created]);
    expect(applyTaskEvent([], { type: "task.created", task: created }, "completed")).toEqual([]);
  });

  it("updates a task in place", () => {
    const updated = { ...pending, title: "Updated" };
    expect(applyTaskEvent([pending, done], { type: "task.updated", task: updated }, "all")).toEqual([updated, done]);
  });

  it("removes a deleted task", () => {
    expect(applyTaskEvent([pending, done], { type: "task.deleted", task: done }, "all")).toEqual([pending]);
  });
});
