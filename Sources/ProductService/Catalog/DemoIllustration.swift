import Foundation

/// The demo catalog's pictures, drawn here as SVG: a motif for the product's category on a
/// colour of its own (from its SKU), so that every demo product has an image without a picture
/// taken from anywhere else.
enum DemoIllustration {
    /// The SVG of the demo product `sku` in `category`.
    static func svg(sku: String, category: String) -> String {
        let hue = sku.unicodeScalars.reduce(7) { ($0 &* 31 &+ Int($1.value)) % 360 }
        let light = "hsl(\(hue), 55%, 88%)"
        let mid = "hsl(\(hue), 45%, 62%)"
        let dark = "hsl(\(hue), 40%, 32%)"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
            <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="\(light)"/><stop offset="1" stop-color="\(mid)"/></linearGradient></defs>
            <rect width="400" height="400" fill="url(#g)"/>
            <g fill="\(dark)" stroke="\(dark)" stroke-width="10" stroke-linecap="round" stroke-linejoin="round">\(motif(category, accent: light))</g>
            </svg>
            """
    }

    /// The shapes of each category's motif, in a 400 × 400 box.
    private static func motif(_ category: String, accent: String) -> String {
        switch category {
        case "kitchen":
            // A pot with two handles and steam.
            #"<rect x="110" y="180" width="180" height="120" rx="18"/><path d="M110 205h-35M290 205h35" fill="none"/><path d="M160 150c-15-20 15-30 0-55M200 150c-15-20 15-30 0-55M240 150c-15-20 15-30 0-55" fill="none"/>"#
        case "home":
            // A table lamp.
            #"<path d="M140 200l30-90h60l30 90z"/><path d="M200 200v100" fill="none"/><rect x="150" y="300" width="100" height="18" rx="9"/>"#
        case "outdoors":
            // Mountains under a sun.
            "<circle cx=\"290\" cy=\"120\" r=\"36\" fill=\"\(accent)\"/><path d=\"M60 310l95-150 65 95 45-55 75 110z\"/>"
        case "books":
            // An open book.
            "<path d=\"M200 130c-40-25-90-25-120-10v180c30-15 80-15 120 10 40-25 90-25 120-10V120c-30-15-80-15-120 10z\" fill=\"\(accent)\"/><path d=\"M200 130v180\" fill=\"none\"/>"
        case "electronics":
            // A device with a screen.
            "<rect x=\"100\" y=\"110\" width=\"200\" height=\"180\" rx=\"22\"/><rect x=\"125\" y=\"135\" width=\"150\" height=\"110\" rx=\"8\" fill=\"\(accent)\" stroke=\"none\"/><circle cx=\"200\" cy=\"268\" r=\"8\" fill=\"\(accent)\" stroke=\"none\"/>"
        case "garden":
            // A seedling in a pot.
            "<path d=\"M150 250h100l-14 70h-72z\"/><path d=\"M200 250v-90\" fill=\"none\"/><ellipse cx=\"165\" cy=\"170\" rx=\"35\" ry=\"18\" transform=\"rotate(-30 165 170)\" fill=\"\(accent)\"/><ellipse cx=\"235\" cy=\"150\" rx=\"35\" ry=\"18\" transform=\"rotate(30 235 150)\" fill=\"\(accent)\"/>"
        default:
            // A parcel.
            "<rect x=\"115\" y=\"140\" width=\"170\" height=\"150\" rx=\"10\"/><path d=\"M200 140v150M115 190h170\" stroke=\"\(accent)\" fill=\"none\"/>"
        }
    }
}
