public import Contracts
public import Hummingbird

// The shared DTOs are returned from handlers as they are; Contracts itself stays free of Hummingbird.

extension Contracts.Page: ResponseEncodable {}
extension ProductRepresentation: ResponseEncodable {}
extension UserProfile: ResponseEncodable {}
extension OrderRepresentation: ResponseEncodable {}
extension OrderQuote: ResponseEncodable {}
extension BoughtTogether: ResponseEncodable {}
extension ProductImage: ResponseEncodable {}
extension PaymentRepresentation: ResponseEncodable {}
extension NotificationRepresentation: ResponseEncodable {}
extension DeadLetterRepresentation: ResponseEncodable {}
