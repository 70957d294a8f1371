//! Frees replaced analyses on a thread of their own. Dropping the tree and program of a large
//! policy set takes a good part of a re-check; done on the loop, the next edit of a burst would
//! wait for it.

use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};

use super::analysis::Analysis;

/// The freeing thread, started on first use; joined when dropped.
#[derive(Debug, Default)]
pub(crate) struct Retirement {
    worker: Option<(Sender<Analysis>, JoinHandle<()>)>,
}

impl Retirement {
    /// Hands `analyses` to the freeing thread (or frees them here if it cannot be started).
    pub(crate) fn retire(&mut self, analyses: impl IntoIterator<Item = Analysis>) {
        for analysis in analyses {
            if let Some((sender, _)) = self.worker() {
                // A failed send hands the analysis back inside the error, which frees it here.
                let _ = sender.send(analysis);
            }
        }
    }

    fn worker(&mut self) -> Option<&(Sender<Analysis>, JoinHandle<()>)> {
        if self.worker.is_none() {
            let (sender, receiver) = mpsc::channel::<Analysis>();
            let handle = thread::Builder::new()
                .name("rampart-lsp-free".into())
                .spawn(move || receiver.into_iter().for_each(drop))
                .ok()?;
            self.worker = Some((sender, handle));
        }
        self.worker.as_ref()
    }
}

impl Drop for Retirement {
    fn drop(&mut self) {
        if let Some((sender, handle)) = self.worker.take() {
            drop(sender);
            let _ = handle.join();
        }
    }
}
