CREATE OR REPLACE VIEW product_stock AS
  SELECT p.id, p.sku, coalesce(sum(m.delta), 0) AS on_hand
  FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id
  GROUP BY p.id, p.sku;
