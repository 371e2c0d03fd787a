// A CodeMirror field owned by a React component: made once, its text following the component's
// state, and a checker's markers drawn on it.

import { EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { useEffect, useRef } from "react";

import { fromOutside, showMarkers, type Marker } from "./codeField";

/**
 * `text`: what the field shows; text set from outside (a preset, another agent's options) replaces
 * the editor's, marked `fromOutside`. `markers`: for `text`, drawn only while the editor shows that
 * text and only when they change (with many fields, every keystroke would otherwise touch all).
 * `extensions`: read once, when the editor is made; callbacks in them should read the latest props
 * through a ref.
 */
export function useCodeField(text: string, markers: readonly Marker[], extensions: () => Extension[]) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const initial = useRef({ text, extensions });

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({ doc: initial.current.text, extensions: initial.current.extensions() }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== text) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text }, annotations: fromOutside.of(true) });
    }
  }, [text]);

  const key = JSON.stringify(markers);
  const shown = useRef("");
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString() === text ? key : "[]";
    if (current === shown.current) return;
    shown.current = current;
    showMarkers(editor, JSON.parse(current) as Marker[]);
  }, [key, text]);

  return { host, view };
}
