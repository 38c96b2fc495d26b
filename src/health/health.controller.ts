import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../common/decorators/public.decorator.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** 200 while the process runs */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when the database answers, 503 when it does not */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    // A plain `SELECT 1` rather than TypeOrmHealthIndicator, which needs import.meta.resolve
    // (not available under Jest 29; see docs/adr/0001).
    return this.health.check([
      () =>
        this.indicator
          .check('database')
          .attempt(async () => {
            await this.db.query('SELECT 1');
          })
          .withTimeout(2_000),
    ]);
  }
}
