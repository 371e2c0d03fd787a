// Reads one invocation stream the way a well-written Node client would: fetch, the body's bytes
// decoded as UTF-8, eventsource-parser for the framing, JSON.parse for tool chunks, the answer and
// every tool result assembled in memory. Prints the answer to stdout and a summary to stderr, like
// portdesk-cli in human mode.
//   node reader.mjs URL TOKEN PROMPT
import { createParser } from "eventsource-parser";

const [url, token, prompt] = process.argv.slice(2);
const response = await fetch(`${url}/v1/ai/invoke`, {
  method: "POST",
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  body: JSON.stringify({ userPrompt: prompt, tools: [] }),
});
if (!response.ok) {
  console.error(`HTTP ${response.status}`);
  process.exit(1);
}

let answer = "";
const calls = new Map();
let done = false;
const parser = createParser({
  onEvent(event) {
    switch (event.event) {
      case "execution":
        answer += event.data;
        break;
      case "tool_call": {
        const chunk = JSON.parse(event.data);
        const call = calls.get(chunk.id) ?? { name: chunk.name, args: "", result: "" };
        call.args += chunk.arguments ?? "";
        calls.set(chunk.id, call);
        break;
      }
      case "tool_result": {
        const chunk = JSON.parse(event.data);
        const call = calls.get(chunk.id) ?? { name: undefined, args: "", result: "" };
        call.result += chunk.content ?? "";
        calls.set(chunk.id, call);
        break;
      }
      case "done":
        done = true;
        break;
    }
  },
});
const decoder = new TextDecoder();
for await (const bytes of response.body) {
  parser.feed(decoder.decode(bytes, { stream: true }));
}
parser.feed(decoder.decode());
process.stdout.write(answer);
let resultBytes = 0;
for (const call of calls.values()) resultBytes += call.result.length;
console.error(`answer ${answer.length} chars, ${calls.size} tool calls, ${resultBytes} result chars`);
// exitCode, not exit(): exit() would cut off stdout still being written to a pipe.
process.exitCode = done ? 0 : 3;
