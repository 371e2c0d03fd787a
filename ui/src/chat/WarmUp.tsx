// The first answer of a session used to run cold: the JavaScript engine compiled the markdown
// stack, the highlighter's grammars and the tool cards' code while the stream was arriving, and
// the page blocked for 100 ms and more in the stream's first second (a second stream in the same
// session: about 50 ms). Once the app is idle, this renders one made-up turn off screen, streaming
// and then ended, and removes itself.

import { useEffect, useState } from "react";

import { loadMarkdown } from "./LazyMarkdown";
import type { Turn } from "./session";
import { TranscriptStore } from "./transcript";
import { TurnView } from "./TurnView";

const ANSWER = [
  "## Services without an owner\n\nThree services have **no owner**; `payments-api` is one. See [its page](https://app.port.io/x).\n\n",
  "- checkout-web\n- auth-service\n  - staging only\n\n",
  "```rust\nfn step() -> u32 {\n    let total = 1 + 2;\n    total\n}\n```\n\n",
  "```json\n{ \"ok\": true, \"items\": [1, 2, 3] }\n```\n\n",
  "| service | tier |\n| --- | --- |\n| auth | 1 |\n\n> Owners come from the catalog.\n",
];

function warmTranscript(): TranscriptStore {
  const store = new TranscriptStore();
  store.apply({ type: "tool_call_started", id: "warm", name: "list_entities" });
  store.apply({ type: "tool_call_arguments_delta", id: "warm", delta: '{"blueprint":"service","query":{"combinator":"and","rules":[]}}' });
  store.apply({ type: "tool_call_complete", id: "warm" });
  store.apply({ type: "tool_result_delta", id: "warm", delta: '{"entities":[{"identifier":"auth","title":"Auth","properties":{"tier":1}}]}' });
  store.apply({ type: "tool_result_complete", id: "warm" });
  for (const piece of ANSWER) store.apply({ type: "answer_delta", delta: piece });
  store.flush();
  return store;
}

function turn(transcript: TranscriptStore, status: Turn["status"]): Turn {
  return {
    id: "warm-up",
    agent: null,
    agentLabel: "",
    prompt: "",
    request: null,
    transcript,
    status,
    error: null,
    startedAt: 0,
    endedAt: null,
    cancelling: false,
    // Restored turns report no figures (the end-to-end benchmarks read those).
    restored: true,
  };
}

const twoFrames = (then: () => void): (() => void) => {
  let second = 0;
  const first = requestAnimationFrame(() => {
    second = requestAnimationFrame(then);
  });
  return () => {
    cancelAnimationFrame(first);
    cancelAnimationFrame(second);
  };
};

export function WarmUp({ onDone }: { onDone: () => void }) {
  const [transcript] = useState(warmTranscript);
  const [stage, setStage] = useState<"loading" | "streaming" | "ended">("loading");

  useEffect(() => {
    if (stage === "loading") {
      let live = true;
      void loadMarkdown().then(() => {
        if (live) setStage("streaming");
      });
      return () => {
        live = false;
      };
    }
    return twoFrames(() => {
      if (stage === "streaming") setStage("ended");
      else onDone();
    });
  }, [stage, onDone]);

  useEffect(
    () => () => {
      transcript.dispose();
    },
    [transcript],
  );

  if (stage === "loading") return null;
  return (
    <div className="warm-up" aria-hidden="true" inert>
      <TurnView turn={turn(transcript, stage === "streaming" ? "streaming" : "completed")} latest={false} onRetry={() => undefined} />
    </div>
  );
}
