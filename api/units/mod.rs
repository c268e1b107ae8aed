//! Units inspected (đơn vị): provincial departments, communes, wards.

pub mod fold;
