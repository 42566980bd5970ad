import FuzzEntry

/// libFuzzer calls this for every input (no main.swift: libFuzzer provides main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(.project, data, size)
}
