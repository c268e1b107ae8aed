//! Verification per format: each reads its header without decoding (so the dimensions and the
//! memory a decode needs are known first), then checks the whole file.

pub mod extra;
pub mod jpeg;
mod jpeg_huffman;
mod jpeg_markers;
mod jpeg_scan;
pub mod png;
mod source;
pub mod webp;

pub use jpeg_markers::Frame;

#[cfg(test)]
pub(crate) mod tests;
