import { describe, expect, it } from "vitest";
import { nextTick, ref } from "vue";
import { useKeptChoice } from "./choice";

describe("useKeptChoice", () => {
  it("chooses the newest, keeps the reader's choice while it is offered, and falls back when it goes", async () => {
    const offered = ref([{ id: "b" }, { id: "a" }]);
    const chosen = useKeptChoice(offered);
    expect(chosen.value).toBe("b");
    chosen.value = "a";
    offered.value = [{ id: "c" }, { id: "b" }, { id: "a" }];
    await nextTick();
    expect(chosen.value).toBe("a");
    offered.value = [{ id: "c" }];
    await nextTick();
    expect(chosen.value).toBe("c");
    offered.value = [];
    await nextTick();
    expect(chosen.value).toBeNull();
  });
});
