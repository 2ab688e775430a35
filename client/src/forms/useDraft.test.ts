import { describe, expect, it } from "vitest";
import { nextTick, reactive } from "vue";
import { useDraft } from "./useDraft";

describe("useDraft", () => {
  it("follows the server until edited, then keeps the edit and reports only changed fields", async () => {
    const server = reactive({ name: "A", readers: 3 });
    const { draft, dirty, changes, settle } = useDraft(() => ({ name: server.name, readers: server.readers }));

    server.readers = 4;
    await nextTick();
    expect(draft.readers).toBe(4);
    expect(dirty.value).toBe(false);

    draft.name = "B";
    expect(dirty.value).toBe(true);
    expect(changes()).toEqual({ name: "B" });

    server.readers = 5; // someone else's change while editing: the edit is kept
    await nextTick();
    expect(draft).toMatchObject({ name: "B", readers: 4 });

    settle({ name: "B", readers: 5 });
    expect(dirty.value).toBe(false);
    expect(changes()).toEqual({});
  });
});
