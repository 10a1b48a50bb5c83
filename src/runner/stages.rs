//! Three overlapping stages for a corpus run: reading, cleaning and writing, so that none waits
//! for the others' work. Reading has a thread of its own; batches are cleaned as tasks of a
//! thread pool, a few at once (a thread done with its part of one batch starts on the next
//! rather than wait for the other threads to finish theirs); the calling thread writes.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Batches being cleaned at once, past the one being written: enough for the pool's threads
/// to move on to the next batch at the end of one, few enough to keep memory small.
const CLEANING: usize = 1;

/// Runs `read` on a thread of its own, sending batches (a failed send means a later stage has
/// stopped: it should return); `clean` on `pool`, turning each batch into output and saying
/// whether it is the last (an error inside it, to be reported once what precedes it is
/// written); and `write` on the calling thread, in input order. Memory stays bounded: at most
/// two batches wait to be cleaned (one read ahead, one in hand), `CLEANING` and one more are
/// cleaned at once, and one is written. The first error, from any stage, ends the run.
pub fn in_stages<B: Send, C: Send, E: Send>(
    pool: &rayon::ThreadPool,
    read: impl FnOnce(&SyncSender<Result<B, E>>) + Send,
    clean: impl Fn(B) -> Result<(C, bool), E> + Sync,
    mut write: impl FnMut(C) -> Result<(), E>,
) -> Result<(), E> {
    let (read_tx, read_rx) = sync_channel::<Result<B, E>>(1);
    // The batches being cleaned, in input order, each as the channel its output will come on.
    let (order_tx, order_rx) = sync_channel::<Receiver<Result<(C, bool), E>>>(CLEANING);
    std::thread::scope(|scope| {
        scope.spawn(move || read(&read_tx));
        let clean = &clean;
        scope.spawn(move || {
            pool.in_place_scope(|tasks| {
                for batch in read_rx {
                    let (done_tx, done_rx) = sync_channel(1);
                    // A closed channel means the writer stopped (an error, or the last batch).
                    if order_tx.send(done_rx).is_err() {
                        return;
                    }
                    tasks.spawn(move |_| {
                        let _ = done_tx.send(batch.and_then(clean));
                    });
                }
            });
        });
        for done_rx in order_rx {
            let (output, last) = done_rx.recv().expect("every batch sent is cleaned")?;
            write(output)?;
            if last {
                break;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs come in order, though batches cleaned at once finish out of order; an error
    /// from a stage ends the run after what came before it.
    #[test]
    fn stages_keep_order_and_stop_at_the_first_error() {
        let run = |fail_read: Option<u32>, fail_clean: Option<u32>, last_at: Option<u32>| {
            let mut written = Vec::new();
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            let result = in_stages(
                &pool,
                |tx: &SyncSender<Result<u32, String>>| {
                    for i in 0..100 {
                        let item = if Some(i) == fail_read { Err(format!("read {i}")) } else { Ok(i) };
                        if tx.send(item).is_err() {
                            return;
                        }
                    }
                },
                |i| {
                    // Batches cleaned at once finish out of order: a slow one, then a quick one.
                    if i % 2 == 0 {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
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
