//! Every input the stream fuzz target (`crates/port-api/fuzz`, run by `scripts/fuzz-stream.sh`) or
//! a user ever found to break the byte path, replayed in every test run. An input is a file under
//! `fuzz/regressions/stream_bytes/`: its first byte picks the read size (1–256), the rest is the
//! body, exactly as the fuzz target reads it. The first entry is the leading-BOM stream that made
//! eventsource-stream 0.2.3 panic.

use std::path::Path;

use port_api::invoke::decode_chunks;

#[test]
fn every_saved_input_decodes_without_panic_and_independently_of_read_size() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/stream_bytes");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the regressions folder") {
        let path = entry.expect("entry").path();
        let input = std::fs::read(&path).expect("a saved input");
        let Some((&size, body)) = input.split_first() else {
            continue;
        };
        let (whole, whole_end) = decode_chunks([body]);
        let (cut, cut_end) = decode_chunks(body.chunks(usize::from(size) + 1));
        assert_eq!(whole, cut, "{}", path.display());
        assert_eq!(
            whole_end.map_err(|e| e.code),
            cut_end.map_err(|e| e.code),
            "{}",
            path.display()
        );
        replayed += 1;
    }
    assert!(replayed >= 1, "no saved inputs in {}", dir.display());
}

#[test]
fn the_leading_bom_stream_gives_its_answer() {
    let (events, end) = decode_chunks([
        &b"\xEF\xBB\xBFevent: execution\ndata: hi\n\nevent: done\ndata: {}\n\n"[..],
    ]);
    assert!(end.is_ok());
    assert_eq!(
        events[0],
        port_api::InvokeEvent::AnswerDelta { delta: "hi".into() }
    );
}
