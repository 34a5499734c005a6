fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut data = std::fs::read(&path).unwrap();
    for spec in std::env::args().skip(2) {
        let (off, val) = spec.split_once('=').unwrap();
        let off = usize::from_str_radix(off.trim_start_matches("0x"), 16).unwrap();
        data[off] = u8::from_str_radix(val, 16).unwrap();
    }
    let items = werr_evtx::read_log_items(&data, &Default::default()).unwrap();
    let mut n = 0;
    for it in &items {
        match it {
            werr_evtx::LogItem::Record(_) => n += 1,
            werr_evtx::LogItem::Problem(p) => println!("PROBLEM {p}"),
        }
    }
    println!("{n} records");
}
