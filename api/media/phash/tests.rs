use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageReader};

use super::*;
use crate::media::formats::tests::registry_file;

fn load(krate: &str, rel: &str) -> Option<DynamicImage> {
    let p = registry_file(krate, rel)?;
    Some(ImageReader::open(p).unwrap().decode().unwrap())
}

fn reencoded(img: &DynamicImage, quality: u8) -> DynamicImage {
    let mut buf = Vec::new();
    JpegEncoder::new_with_quality(&mut buf, quality)
        .encode_image(&img.to_rgb8())
        .unwrap();
    ImageReader::new(Cursor::new(buf))
        .with_guessed_format()
        .unwrap()
        .decode()
        .unwrap()
}

fn cropped(img: &DynamicImage, percent: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let (dx, dy) = (w * percent / 100, h * percent / 100);
    img.crop_imm(dx, dy, w - 2 * dx, h - 2 * dy)
}

fn copies(img: &DynamicImage) -> Vec<(&'static str, DynamicImage)> {
    vec![
        ("quality 40", reencoded(img, 40)),
        (
            "half size",
            img.resize(img.width() / 2, img.height() / 2, FilterType::Triangle),
        ),
        (
            "640 px, quality 70",
            reencoded(&img.resize(640, 640, FilterType::CatmullRom), 70),
        ),
        ("3% off each edge", cropped(img, 3)),
        ("5% off each edge", cropped(img, 5)),
        ("grey", DynamicImage::ImageLuma8(img.to_luma8())),
        ("brighter", img.brighten(20)),
    ]
}

#[test]
fn distance_counts_differing_bits() {
    assert_eq!(distance("0000000000000000", "0000000000000000"), Some(0));
    assert_eq!(distance("0000000000000000", "ffffffffffffffff"), Some(64));
    assert_eq!(distance("00000000000000ff", "0000000000000f0f"), Some(8));
    assert_eq!(distance("abc", "0000000000000000"), None);
    assert_eq!(distance("zzzzzzzzzzzzzzzz", "0000000000000000"), None);
}

#[test]
fn a_hash_is_sixteen_hex_digits() {
    let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 0])
    }));
    let h = of_image(&img);
    assert_eq!(h.len(), 16);
    assert_eq!(distance(&h, &h), Some(0));
}

/// The default threshold (`MediaSettings::flag_hash_distance`) is chosen here, on real
/// photos the cargo registry ships: every re-saved, resized, slightly cropped, grey or
/// brightened copy is within it of its original, and every pair of different photos is
/// well beyond it. (Measured when chosen: copies at most 8 bits from their original, 5% off
/// each edge being the worst; different photos at least 26 apart.)
#[test]
fn copies_match_and_other_scenes_do_not() {
    let threshold = crate::config::MediaSettings::default().flag_hash_distance;
    let photos: Vec<(&str, DynamicImage)> = [
        ("jpeg-decoder-", "benches/tower.jpg"),
        ("jpeg-decoder-", "benches/large_image.jpg"),
        ("rust-embed-", "examples/public/images/flower.jpg"),
    ]
    .into_iter()
    .filter_map(|(k, r)| load(k, r).map(|i| (r, i)))
    .collect();
    let mut worst_copy = 0;
    let mut closest_other = 64;
    for (name, img) in &photos {
        let h = of_image(img);
        for (how, copy) in copies(img) {
            let d = distance(&h, &of_image(&copy)).unwrap();
            eprintln!("{name} / {how}: {d}");
            worst_copy = worst_copy.max(d);
            assert!(d <= threshold, "{name}, {how}: {d} bits apart");
        }
        for (other, img2) in &photos {
            if other != name {
                let d = distance(&h, &of_image(img2)).unwrap();
                eprintln!("{name} / {other}: {d}");
                closest_other = closest_other.min(d);
                assert!(d > threshold + 4, "{name} and {other}: only {d} bits apart");
            }
        }
    }
    eprintln!("worst copy {worst_copy}, closest other scene {closest_other}");
}
