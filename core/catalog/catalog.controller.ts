import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CatalogService } from './catalog.service.js';
import { ProductSearchQuery } from './dto/product.dto.js';

@ApiTags('catalog')
@Controller('api/v1')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('categories')
  categories() {
    return this.catalog.categoryTree();
  }

  @Get('products')
  search(@Query() query: ProductSearchQuery) {
    return this.catalog.search(query);
  }

  @Get('products/:idOrSlug')
  product(@Param('idOrSlug') idOrSlug: string) {
    return this.catalog.detail(idOrSlug);
  }
}
