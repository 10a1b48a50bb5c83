//! Three overlapping stages for a corpus run: reading, cleaning and writing, each on its own
//! thread, so that none waits for the others' work (the cleaning stage hands its batches to a
//! thread pool).

use std::sync::mpsc::{SyncSender, sync_channel};

/// Runs `read` on a thread of its own, sending batches (a failed send means a later stage has
/// stopped: it should return); `clean` on another, turning each batch into output and saying
/// whether it is the last (an error inside it, to be reported once what precedes it is
/// written); and `write` on the calling thread, in input order. Memory stays bounded: at most
/// two batches wait to be cleaned and one to be written. The first error, from any stage,
/// ends the run.
pub fn in_stages<B: Send, C: Send, E: Send>(
    read: impl FnOnce(&SyncSender<Result<B, E>>) + Send,
    mut clean: impl FnMut(B) -> Result<(C, bool), E> + Send,
    mut write: impl FnMut(C) -> Result<(), E>,
) -> Result<(), E> {
    let (read_tx, read_rx) = sync_channel::<Result<B, E>>(2);
    let (done_tx, done_rx) = sync_channel::<Result<C, E>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || read(&read_tx));
        scope.spawn(move || {
            for batch in read_rx {
                let (done, last) = match batch.and_then(&mut clean) {
                    Ok((output, last)) => (Ok(output), last),
                    Err(e) => (Err(e), true),
                };
                // A closed channel means the writer stopped on an error of its own.
                if done_tx.send(done).is_err() || last {
                    return;
                }
            }
        });
        for done in done_rx {
            write(done?)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs come in order; an error from a stage ends the run after what came before it.
    #[test]
    fn stages_keep_order_and_stop_at_the_first_error() {
        let run = |fail_read: Option<u32>, fail_clean: Option<u32>, last_at: Option<u32>| {
            let mut written = Vec::new();
            let result = in_stages(
                |tx: &SyncSender<Result<u32, String>>| {
                    for i in 0..100 {
                        let item = if Some(i) == fail_read { Err(format!("read {i}")) } else { Ok(i) };
                        if tx.send(item).is_err() {
                            return;
                        }
                    }
                },
                |i| {
                    if Some(i) == fail_clean {
                        Err(format!("clean {i}"))
                    } else {
                        Ok((i * 2, Some(i) == last_at))
                    }
                },
                |out| {
                    written.push(out);
                    Ok(())
                },
            );
            (result, written)
        };
        let (result, written) = run(None, None, None);
        assert_eq!(result, Ok(()));
        assert_eq!(written, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        let (result, written) = run(Some(40), None, None);
        assert_eq!((result, written.len()), (Err("read 40".to_string()), 40));
        let (result, written) = run(None, Some(7), None);
        assert_eq!((result, written.len()), (Err("clean 7".to_string()), 7));
        let (result, written) = run(None, None, Some(9));
        assert_eq!((result, written.len()), (Ok(()), 10));
    }
}
